package org.smearscan.segment;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/** Moves pixels between Java images and OpenCV matrices. */
final class Channels {
    private Channels() {}

    /** The green channel, row by row, one byte per pixel. */
    static byte[] green(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] green = new byte[w * h];
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            // What ImageIO gives for JPEG fields: read the bytes directly, ~10x faster than getRGB.
            byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < green.length; i++) {
                green[i] = bgr[3 * i + 1];
            }
            return green;
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                green[y * w + x] = (byte) ((row[x] >> 8) & 0xff);
            }
        }
        return green;
    }

    static Mat toMat(byte[] pixels, int width, int height) {
        Mat mat = new Mat(height, width, CvType.CV_8UC1);
        mat.put(0, 0, pixels);
        return mat;
    }

    static byte[] bytes(Mat mat) {
        byte[] out = new byte[(int) mat.total()];
        mat.get(0, 0, out);
        return out;
    }
}
