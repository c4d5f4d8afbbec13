/**
 * Public documents rendered from the store's configuration and its jurisdiction's policies (R4, R5): the retention
 * and destruction policy, the written disclosure, the New York City entrance sign and the California notice at
 * collection, as Markdown and HTML, versioned, with each publication recorded in the audit chain.
 */
@NullMarked
package dev.jwo.compliance.documents;

import org.jspecify.annotations.NullMarked;
