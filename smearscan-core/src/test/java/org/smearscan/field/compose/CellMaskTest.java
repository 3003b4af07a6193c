package org.smearscan.field.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.smearscan.segment.Box;

class CellMaskTest {

    @Test
    void theMaskIsTheLargestBrightPartWithItsHolesFilled() {
        BufferedImage crop = new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = crop.createGraphics();
        g.setColor(new Color(210, 150, 160));
        g.fillOval(20, 20, 60, 60);
        g.fillRect(0, 0, 8, 8); // a piece of a neighbouring cell in the corner
        g.setColor(Color.BLACK);
        g.fillOval(45, 45, 10, 10); // a dark hole inside the cell
        g.setColor(new Color(15, 15, 15)); // below the threshold of 20
        g.fillRect(90, 90, 10, 10);
        g.dispose();

        CellMask mask = CellMask.of(crop);

        assertThat(mask.contains(50, 50)).as("the hole is filled").isTrue();
        assertThat(mask.contains(3, 3)).as("the corner piece is left out").isFalse();
        assertThat(mask.contains(95, 95)).isFalse();
        Box bounds = mask.bounds();
        assertThat(List.of(bounds.x(), bounds.y())).allSatisfy(v -> assertThat(v).isBetween(19, 21));
        assertThat(List.of(bounds.w(), bounds.h())).allSatisfy(v -> assertThat(v).isBetween(58, 61));
        assertThat(mask.area()).isBetween((int) (Math.PI * 29 * 29), (int) (Math.PI * 31 * 31));
        assertThat(mask.solidity()).isGreaterThan(0.93);
    }

    @Test
    void aNotchedOutlineHasALowSolidity() {
        BufferedImage crop = new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = crop.createGraphics();
        g.setColor(Color.PINK);
        g.fillOval(10, 10, 80, 80);
        g.setColor(Color.BLACK);
        g.fillRect(50, 30, 50, 40); // a bite out of one side
        g.dispose();

        assertThat(CellMask.of(crop).solidity()).isLessThan(0.9);
    }

    @Test
    void aBlackPictureHoldsNoCell() {
        BufferedImage black = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        CellMask mask = CellMask.of(black);

        assertThat(mask.area()).isZero();
        assertThat(mask.bounds()).isNull();
        assertThat(mask.solidity()).isZero();
        assertThatThrownBy(() -> new CellCrop(black, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no cell");
    }

    @Test
    void aMaskMustFitItsPicture() {
        assertThatThrownBy(() -> CellMask.of(3, 2, new boolean[5])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("6 pixels");
        BufferedImage crop = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
        boolean[] all = new boolean[12 * 10];
        java.util.Arrays.fill(all, true);
        assertThatThrownBy(() -> new CellCrop(crop, true, CellMask.of(12, 10, all)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12 x 10");
    }
}
