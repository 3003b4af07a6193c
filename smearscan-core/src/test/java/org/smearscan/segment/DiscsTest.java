package org.smearscan.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class DiscsTest {

    @Test
    void intersectionOfDisjointNestedAndHalfOverlappingDiscs() {
        assertThat(Discs.intersection(new double[] {0, 0, 10}, new double[] {25, 0, 10})).isZero();
        assertThat(Discs.intersection(new double[] {0, 0, 10}, new double[] {1, 0, 3})).isCloseTo(Math.PI * 9, within(1e-9));
        // two unit circles one radius apart share 2pi/3 - sqrt(3)/2
        assertThat(Discs.intersection(new double[] {0, 0, 1}, new double[] {1, 0, 1}))
                .isCloseTo(2 * Math.PI / 3 - Math.sqrt(3) / 2, within(1e-9));
    }

    @Test
    void aCircleBetweenTwoOthersIsCoveredByTheirUnion() {
        double[] straddling = {40, 0, 40};
        List<double[]> cells = List.of(new double[] {0, 0, 40}, new double[] {80, 0, 40});
        double byOne = Discs.intersection(straddling, cells.get(0)) / (Math.PI * 40 * 40);
        double byBoth = Discs.coveredShare(straddling, cells);

        assertThat(byBoth).isCloseTo(2 * byOne, within(0.03)).isGreaterThan(0.7);
        assertThat(Discs.coveredShare(new double[] {300, 0, 40}, cells)).isZero();
    }
}
