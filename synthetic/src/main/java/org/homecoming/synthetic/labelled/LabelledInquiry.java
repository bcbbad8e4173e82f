package org.homecoming.synthetic.labelled;

import java.util.Set;

/**
 * One inquiry of a labelled set measured per inquiry against a whole list.
 *
 * @param truePersonId the listed person it is about, or null when that person is not listed
 * @param kind         the variation it carries
 * @param namesakeIds  for an ambiguous inquiry, every listed person it cannot tell apart (the true one included)
 * @param hardNegative its person is not listed, but someone like them is
 */
public record LabelledInquiry(String inquiryId, WrittenPerson sought, String truePersonId, String kind,
        Set<String> namesakeIds, boolean hardNegative) {
}
