/** The path each visit's party walked, kept for the person's access and deleted on schedule or on request. */
@NullMarked
package dev.jwo.vision.paths;

import org.jspecify.annotations.NullMarked;
