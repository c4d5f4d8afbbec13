/**
 * Evidence of what the store did with personal data: the capture log (every camera feature vector received, used
 * or dropped, with the reasons), the compliance summary and the {@code compliance.json} a replay writes.
 */
@NullMarked
package dev.jwo.compliance.evidence;

import org.jspecify.annotations.NullMarked;
