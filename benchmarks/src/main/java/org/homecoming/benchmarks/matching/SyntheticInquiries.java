package org.homecoming.benchmarks.matching;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.homecoming.reunification.matching.InquiryIndex;
import org.homecoming.reunification.matching.MatchScorer;
import org.homecoming.reunification.matching.PersonDescription;
import org.homecoming.synthetic.labelled.LabelledSetGenerator;

/**
 * A full index of synthetic open inquiries and a set of arriving people to score against it: one in two
 * arrivals is someone an inquiry asks about (written the way a list writes them), the rest nobody asked about.
 */
final class SyntheticInquiries {

    static final long SEED = 20261127L;

    final InquiryIndex index;
    final List<PersonDescription> arrivals;

    private SyntheticInquiries(InquiryIndex index, List<PersonDescription> arrivals) {
        this.index = index;
        this.arrivals = arrivals;
    }

    static SyntheticInquiries build(int inquiries, int arrivals) {
        LabelledSetGenerator generator = new LabelledSetGenerator(SEED);
        Random ids = new Random(SEED);
        MatchScorer scorer = MatchScorer.standard();
        InquiryIndex index = new InquiryIndex(scorer);
        List<PersonDescription> arriving = new ArrayList<>(arrivals);
        int keepEvery = Math.max(1, inquiries / Math.max(1, arrivals / 2));
        for (int i = 0; i < inquiries; i++) {
            LabelledSetGenerator.SyntheticPerson person = generator.nextPerson();
            // inquiry ids are UUIDs in the service, so the benchmark holds strings of the same size
            index.put(new UUID(ids.nextLong(), ids.nextLong()).toString(), WrittenDescriptions.of(generator.inquiryAbout(person)));
            if (i % keepEvery == 0 && arriving.size() < arrivals / 2) {
                arriving.add(WrittenDescriptions.of(generator.listingOf(person)));
            }
        }
        while (arriving.size() < arrivals) {
            arriving.add(WrittenDescriptions.of(generator.listingOf(generator.nextPerson())));
        }
        // the arrivals are the roster the service knows: their surnames are counted, as pairing counts every listing
        arriving.forEach(scorer::listed);
        Collections.shuffle(arriving, new Random(SEED));
        return new SyntheticInquiries(index, List.copyOf(arriving));
    }
}
