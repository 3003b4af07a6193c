package org.smearscan.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.inference.CellClassifier;
import org.smearscan.modelfile.InvalidModelFileException;

/** What an executor does with the model bytes it receives. */
class ShippedModelTest {
    @TempDir
    Path dir;

    @AfterEach
    void release() {
        ShippedModel.closeLoaded();
    }

    @Test
    void anExecutorLoadsTheModelTheDriverVerifiedOncePerJvm() throws IOException {
        ShippedModel shipped = ShippedModel.read(JobFixtures.model(dir.resolve("m.smear"), 5));
        ShippedModel arrived = ShippedModel.arrived(shipped.name(), shipped.bytes(), shipped.bytesSha256(),
                shipped.sha256());

        CellClassifier first = arrived.open(dir.resolve("executor"));
        assertThat(first.sha256()).isEqualTo(shipped.sha256());
        assertThat(arrived.open(dir.resolve("executor"))).isSameAs(first);
    }

    @Test
    void bytesChangedOnTheWayAreRefused() throws IOException {
        ShippedModel shipped = ShippedModel.read(JobFixtures.model(dir.resolve("m.smear"), 5));
        byte[] bytes = shipped.bytes();
        bytes[bytes.length / 3] ^= 1;

        ShippedModel arrived = ShippedModel.arrived(shipped.name(), bytes, shipped.bytesSha256(), shipped.sha256());
        assertThatThrownBy(() -> arrived.open(dir.resolve("executor"))).isInstanceOf(InvalidModelFileException.class)
                .hasMessageContaining("m.smear").hasMessageContaining("arrived changed");
    }

    @Test
    void aTamperedFileIsRefusedByTheExecutorsOwnVerification() throws IOException {
        ShippedModel shipped = ShippedModel.read(JobFixtures.model(dir.resolve("m.smear"), 5));
        byte[] bytes = shipped.bytes();
        bytes[bytes.length / 2] ^= 0x5A;

        // hashes that match the tampered bytes: only the model file's own checksums can tell
        ShippedModel arrived = ShippedModel.arrived(shipped.name(), bytes, ShippedModel.digest(bytes), shipped.sha256());
        assertThatThrownBy(() -> arrived.open(dir.resolve("executor"))).isInstanceOf(InvalidModelFileException.class);
    }

    @Test
    void anotherValidModelIsNotTakenForTheVerifiedOne() throws IOException {
        ShippedModel expected = ShippedModel.read(JobFixtures.model(dir.resolve("a.smear"), 5));
        ShippedModel other = ShippedModel.read(JobFixtures.model(dir.resolve("b.smear"), 6));

        ShippedModel arrived = ShippedModel.arrived(expected.name(), other.bytes(), other.bytesSha256(),
                expected.sha256());
        assertThatThrownBy(() -> arrived.open(dir.resolve("executor"))).isInstanceOf(InvalidModelFileException.class)
                .hasMessageContaining("is not the model the driver verified");
    }
}
