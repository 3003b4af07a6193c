package org.smearscan.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DonorTest {

    @ParameterizedTest
    @CsvSource({
        "C100P61ThinF_IMG_20150918_144104_cell_162.png, P61",
        "C39P4thinF_original_IMG_20150622_111206_cell_99.png, P4",
        "C65AP26thinF_IMG_20150817_124815_cell_10.png, P26",
        "C33BP2_thinF_IMG_20150619_105518_cell_3.png, P2",
        "C99P60ThinF_IMG_20150918_141001_cell_31.png, P60",
        "C59P20thinF_IMG_20150803_111333_cell_144.png, P20",
        "C1_thinF_IMG_20150604_104722_cell_9.png, C1",
        "C12NThinF_IMG_20150614_124212_cell_125.png, C12",
        "C202ThinF_IMG_20151112_155023_cell_12.png, C202",
        "C3thin_original_IMG_20150608_162922_cell_72.png, C3",
        "C130P91ThinF_IMG_20151004_142709_cell_89.png, P91",
    })
    void parsesNihNames(String name, String donor) {
        assertThat(Donor.parse(name)).contains(donor);
        assertThat(Donor.of(Path.of("Parasitized", name))).isEqualTo(donor);
        assertThat(Donor.isKnown(Path.of(name))).isTrue();
    }

    @Test
    void patientNumberWinsOverSlide() {
        // Two slides of one patient are one donor.
        assertThat(Donor.parse("C101P62ThinF_x.png")).isEqualTo(Donor.parse("C102P62ThinF_y.png"));
    }

    @Test
    void nameWithoutDonorIsItsOwnDonor() {
        assertThat(Donor.parse("cell_0001.png")).isEmpty();
        assertThat(Donor.of(Path.of("a", "cell_0001.png"))).isEqualTo("cell_0001.png");
        assertThat(Donor.isKnown(Path.of("cell_0001.png"))).isFalse();
        // A 'P' later in the name is not a patient number.
        assertThat(Donor.parse("C7_thinF_IMG_P12.png")).contains("C7");
    }
}
