package org.smearscan.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class DonorAccuracyTest {

    @Test
    void ranksDonorsWorstFirstWithTheirCounts() {
        // Donor A: 3 of 4 right. B: 1 of 2 right. C: 2 of 2 right. D: 2 of 4 right (ties B on accuracy but
        // has more images, so it ranks worse).
        List<String> donors = List.of("A", "A", "A", "A", "B", "B", "C", "C", "D", "D", "D", "D");
        boolean[] correct = {true, true, true, false, true, false, true, true, true, false, true, false};
        boolean[] positive = {true, false, false, false, true, true, false, false, true, true, false, false};
        List<DonorAccuracy> table = DonorAccuracy.table(donors, correct, positive);
        assertThat(table).extracting(DonorAccuracy::donor).containsExactly("D", "B", "A", "C");
        DonorAccuracy d = table.get(0);
        assertThat(d.images()).isEqualTo(4);
        assertThat(d.correct()).isEqualTo(2);
        assertThat(d.parasitized()).isEqualTo(2);
        assertThat(d.accuracy().value()).isEqualTo(0.5);
        // Wilson 2/4: centre = (0.5 + 0.480182) / 1.960365 = 0.5; half = 0.999796 * sqrt(0.0625 + 0.060023)
        // = 0.999796 * 0.350033 = 0.349962 -> [0.150038, 0.849962].
        assertThat(d.accuracy().lo()).isCloseTo(0.150038, within(1e-6));
        assertThat(d.accuracy().hi()).isCloseTo(0.849962, within(1e-6));
        assertThat(DonorAccuracy.worst(table, 2)).extracting(DonorAccuracy::donor).containsExactly("D", "B");
    }

    @Test
    void decisionsCanComeFromProbabilitiesAndAThreshold() {
        List<DonorAccuracy> table = DonorAccuracy.table(List.of("A", "A", "B"), new double[] {0.9, 0.4, 0.6},
                new boolean[] {true, true, false}, 0.5);
        assertThat(table).extracting(DonorAccuracy::correct).containsExactly(0, 1);
    }
}
