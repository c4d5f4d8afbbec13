package com.example.acme;

import dev.jwo.server.Replay;
import dev.jwo.server.ReplayResult;
import java.nio.file.Path;

/** Replays a store log with AcmePay as the payment provider: {@code ReplayWithAcme store.json events.jsonl outDir}. */
public final class ReplayWithAcme {
  private ReplayWithAcme() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: ReplayWithAcme STORE_JSON EVENTS_JSONL OUT_DIR");
      System.exit(2);
    }
    ReplayResult result = new Replay(Path.of(args[0]), Path.of(args[1]), new AcmePaymentsModule(new AcmePayGateway()))
        .run(Path.of(args[2]), (lines, ts) -> {});
    System.out.print(result.summary());
  }
}
