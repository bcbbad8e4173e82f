package org.homecoming.reunification.inquiries;

/**
 * Where the {@link InquiryBook} keeps its inquiries, as bytes by inquiry id. Its one writer is the book (serialised);
 * readers may race with it.
 */
interface InquiryStore extends AutoCloseable {

    /** The bytes stored for the inquiry, or null. */
    byte[] get(String inquiryId);

    void put(String inquiryId, byte[] value);

    void delete(String inquiryId);

    /** Forgets every inquiry. */
    void clear();

    @Override
    void close();
}
