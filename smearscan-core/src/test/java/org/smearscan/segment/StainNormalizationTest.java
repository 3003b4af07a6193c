package org.smearscan.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.smearscan.testing.SyntheticFields;

class StainNormalizationTest {

    /** The same field photographed through another stain and white balance: every channel scaled and shifted. */
    private static BufferedImage restained(BufferedImage field) {
        BufferedImage out = new BufferedImage(field.getWidth(), field.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < field.getHeight(); y++) {
            for (int x = 0; x < field.getWidth(); x++) {
                int rgb = field.getRGB(x, y);
                int r = (int) Math.min(255, ((rgb >> 16) & 0xff) * 0.9 + 20);
                int g = (int) (((rgb >> 8) & 0xff) * 0.6);
                int b = (int) Math.min(255, (rgb & 0xff) * 1.1);
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

    @Test
    void aCellLooksTheSameUnderAnotherStainOnceNormalised() {
        BufferedImage field = SyntheticFields.gridField(4, 640, 480).image();
        BufferedImage other = restained(field);
        CellSegmenter segmenter = new CellSegmenter(SegmentationParameters.DEFAULT);
        Segmentation s1 = segmenter.analyse(field);
        Segmentation s2 = segmenter.analyse(other);
        SegmentedCell cell = s1.cells().get(s1.cells().size() / 2);

        BufferedImage a = CellCrops.crop(field, cell, StainNormalization.of(field, s1.foreground()));
        BufferedImage b = CellCrops.crop(other, cell, StainNormalization.of(other, s2.foreground()));
        BufferedImage rawA = CellCrops.crop(field, cell);
        BufferedImage rawB = CellCrops.crop(other, cell);

        assertThat(meanAbsoluteDifference(a, b)).isLessThan(6).isLessThan(meanAbsoluteDifference(rawA, rawB) / 4);
        // outside the mask the crop stays black, inside it never is
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                boolean inside = cell.mask()[y * a.getWidth() + x] != 0;
                assertThat((a.getRGB(x, y) & 0xffffff) == 0).isEqualTo(!inside);
            }
        }
    }

    private static double meanAbsoluteDifference(BufferedImage a, BufferedImage b) {
        double sum = 0;
        int n = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs(((a.getRGB(x, y) >> shift) & 0xff) - ((b.getRGB(x, y) >> shift) & 0xff));
                    n++;
                }
            }
        }
        return sum / n;
    }
}
