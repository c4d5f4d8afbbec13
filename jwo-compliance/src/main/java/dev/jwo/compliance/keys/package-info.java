/**
 * The store's secrets besides the vault's: the {@link dev.jwo.compliance.keys.SubjectKey} that names people by a keyed
 * pseudonym ({@link dev.jwo.compliance.keys.Subjects}).
 */
@NullMarked
package dev.jwo.compliance.keys;

import org.jspecify.annotations.NullMarked;
