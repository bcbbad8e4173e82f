package org.homecoming.reunification.inquiries;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Inquiries on the heap: for a book that holds a few (tests, a follower that never stores any). */
class HeapInquiryStore implements InquiryStore {

    private final Map<String, byte[]> values = new ConcurrentHashMap<>();

    @Override
    public byte[] get(String inquiryId) {
        return values.get(inquiryId);
    }

    @Override
    public void put(String inquiryId, byte[] value) {
        values.put(inquiryId, value);
    }

    @Override
    public void delete(String inquiryId) {
        values.remove(inquiryId);
    }

    @Override
    public void clear() {
        values.clear();
    }

    @Override
    public void close() {
        values.clear();
    }
}
