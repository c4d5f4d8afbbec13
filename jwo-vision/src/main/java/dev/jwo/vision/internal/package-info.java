/** Implementation details of the vision module; not for retailers. */
@NullMarked
package dev.jwo.vision.internal;

import org.jspecify.annotations.NullMarked;
