package org.homecoming.synthetic.labelled;

import java.util.List;
import java.util.Map;

/** A labelled set of inquiries and the listed people (by id) they are matched against. */
public record LabelledInquirySet(String name, List<LabelledInquiry> inquiries, Map<String, WrittenPerson> listed) {
}
