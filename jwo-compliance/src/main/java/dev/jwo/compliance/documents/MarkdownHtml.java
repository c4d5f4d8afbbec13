package dev.jwo.compliance.documents;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders the small Markdown subset the document templates use: {@code #}/{@code ##} headings, {@code -} list items,
 * paragraphs separated by blank lines, and {@code **bold**}. All text is HTML-escaped first.
 */
public final class MarkdownHtml {
  private MarkdownHtml() {}

  /** A complete HTML page with {@code title} and the rendered body. */
  public static String page(String title, String markdown) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>" + escape(title)
        + "</title></head>\n<body>\n" + body(markdown) + "</body>\n</html>\n";
  }

  /** The HTML of the Markdown's blocks. */
  public static String body(String markdown) {
    StringBuilder html = new StringBuilder();
    List<String> paragraph = new ArrayList<>();
    boolean inList = false;
    for (String line : markdown.split("\n", -1)) {
      String trimmed = line.strip();
      boolean item = trimmed.startsWith("- ");
      if (trimmed.isEmpty() || trimmed.startsWith("#") || item) {
        flush(html, paragraph);
      }
      if (inList && !item) {
        html.append("</ul>\n");
        inList = false;
      }
      if (trimmed.isEmpty()) {
        continue;
      }
      if (trimmed.startsWith("## ")) {
        html.append("<h2>").append(inline(trimmed.substring(3))).append("</h2>\n");
      } else if (trimmed.startsWith("# ")) {
        html.append("<h1>").append(inline(trimmed.substring(2))).append("</h1>\n");
      } else if (item) {
        if (!inList) {
          html.append("<ul>\n");
          inList = true;
        }
        html.append("<li>").append(inline(trimmed.substring(2))).append("</li>\n");
      } else {
        paragraph.add(trimmed);
      }
    }
    flush(html, paragraph);
    if (inList) {
      html.append("</ul>\n");
    }
    return html.toString();
  }

  private static void flush(StringBuilder html, List<String> paragraph) {
    if (!paragraph.isEmpty()) {
      html.append("<p>").append(inline(String.join(" ", paragraph))).append("</p>\n");
      paragraph.clear();
    }
  }

  private static String inline(String text) {
    String escaped = escape(text);
    StringBuilder out = new StringBuilder();
    boolean bold = false;
    int i = 0;
    while (i < escaped.length()) {
      if (escaped.startsWith("**", i)) {
        out.append(bold ? "</strong>" : "<strong>");
        bold = !bold;
        i += 2;
      } else {
        out.append(escaped.charAt(i));
        i++;
      }
    }
    if (bold) {
      out.append("</strong>");
    }
    return out.toString();
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
