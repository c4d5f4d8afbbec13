/** Implementation details of the compliance module; not for retailers. */
@NullMarked
package dev.jwo.compliance.internal;

import org.jspecify.annotations.NullMarked;
