package org.homecoming.localstack;

import java.io.ByteArrayOutputStream;
import java.time.Instant;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.homecoming.events.common.Side;
import org.homecoming.events.roster.ReleaseListPublished;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryReaderTest {

    @Test
    void shouldDecodeAValueInTheRegistrysWireFormat() throws Exception {
        // given a list header as a service writes it: magic byte 0, a 4-byte schema id, then Avro binary
        ReleaseListPublished header = ReleaseListPublished.newBuilder().setListId("list-1").setRoundId("round-1")
                .setReleasingSide(Side.values()[0]).setVersion(2).setEntryCount(390).setChecksum("abc").setListedCount(2)
                .setWithdrawnCount(2).setCorrectedCount(3).setPublishedAt(Instant.parse("2026-11-29T18:00:00Z")).build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] {0, 0, 0, 0, 7});
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<>(ReleaseListPublished.class).write(header, encoder);
        encoder.flush();

        // when the history reader decodes it
        ReleaseListPublished decoded = HistoryReader.decode(bytes.toByteArray(), ReleaseListPublished.class);

        // then it is the same header
        assertThat(decoded).isEqualTo(header);
    }

    @Test
    void shouldRefuseAValueThatIsNotInTheWireFormat() {
        assertThatThrownBy(() -> HistoryReader.decode("garbage".getBytes(), ReleaseListPublished.class))
                .isInstanceOf(IllegalStateException.class);
    }
}
