package org.smearscan.segment;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Which pixels of a field are darker than its background: Otsu's threshold on the blurred green channel, then
 * holes filled, since a red cell's pale centre can be as light as the background.
 */
final class Foreground {
    private Foreground() {}

    /** One byte per pixel, non-zero on the foreground; holes up to {@code holeLimit} pixels are filled. */
    static byte[] mask(Mat green, int holeLimit) {
        Mat blurred = new Mat();
        Mat binary = new Mat();
        Mat kernel = Mat.ones(3, 3, CvType.CV_8UC1);
        try {
            Imgproc.GaussianBlur(green, blurred, new Size(5, 5), 0);
            Imgproc.threshold(blurred, binary, 0, 255, Imgproc.THRESH_BINARY_INV | Imgproc.THRESH_OTSU);
            Imgproc.morphologyEx(binary, binary, Imgproc.MORPH_OPEN, kernel);
            byte[] mask = Channels.bytes(binary);
            fillHoles(mask, green.cols(), green.rows(), holeLimit);
            return mask;
        } finally {
            blurred.release();
            binary.release();
            kernel.release();
        }
    }

    /** Background components that do not touch the border and are small become foreground. */
    private static void fillHoles(byte[] mask, int width, int height, int holeLimit) {
        byte[] background = new byte[mask.length];
        for (int i = 0; i < mask.length; i++) {
            background[i] = (byte) (mask[i] == 0 ? 1 : 0);
        }
        Mat bg = Channels.toMat(background, width, height);
        Mat labels = new Mat();
        Mat stats = new Mat();
        Mat centroids = new Mat();
        try {
            int n = Imgproc.connectedComponentsWithStats(bg, labels, stats, centroids, 4, CvType.CV_32S);
            boolean[] fill = new boolean[n];
            for (int i = 1; i < n; i++) {
                int x = (int) stats.get(i, Imgproc.CC_STAT_LEFT)[0];
                int y = (int) stats.get(i, Imgproc.CC_STAT_TOP)[0];
                int w = (int) stats.get(i, Imgproc.CC_STAT_WIDTH)[0];
                int h = (int) stats.get(i, Imgproc.CC_STAT_HEIGHT)[0];
                int area = (int) stats.get(i, Imgproc.CC_STAT_AREA)[0];
                fill[i] = x > 0 && y > 0 && x + w < width && y + h < height && area < holeLimit;
            }
            int[] label = new int[mask.length];
            labels.get(0, 0, label);
            for (int i = 0; i < mask.length; i++) {
                if (fill[label[i]]) {
                    mask[i] = (byte) 255;
                }
            }
        } finally {
            bg.release();
            labels.release();
            stats.release();
            centroids.release();
        }
    }
}
