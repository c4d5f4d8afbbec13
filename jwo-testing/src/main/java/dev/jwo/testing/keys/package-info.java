/** Test kits and fakes for the store's key providers. */
@NullMarked
package dev.jwo.testing.keys;

import org.jspecify.annotations.NullMarked;
