/**
 * Subject requests (R12): access (everything held about a person, as a document), deletion with a destruction
 * record, and withdrawal of consent that stops capture at once.
 */
@NullMarked
package dev.jwo.compliance.subject;

import org.jspecify.annotations.NullMarked;
