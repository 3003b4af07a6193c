package org.smearscan.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/** Decodes image files to 8-bit RGB, whatever their colour model (grey, palette, alpha). */
public final class ImageDecoding {
    private ImageDecoding() {}

    /** Reads a file; the exception names the file and what is wrong with it. */
    public static BufferedImage read(Path file) throws UnreadableImageException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UnreadableImageException(file.toString(), "cannot be read: " + e.getMessage());
        }
        return decode(bytes, file.toString(), Long.MAX_VALUE);
    }

    /**
     * Decodes bytes that claim to be an image. {@code maxPixels} guards against decompression bombs:
     * the header's dimensions are checked before any pixel is decoded.
     */
    public static BufferedImage decode(byte[] bytes, String name, long maxPixels) throws UnreadableImageException {
        // A memory-backed stream: ImageIO.createImageInputStream would cache the bytes in a temporary file
        // (ImageIO's default), which doubled the decoding time of small PNGs.
        try (InputStream in = new ByteArrayInputStream(bytes);
                ImageInputStream stream = new MemoryCacheImageInputStream(in)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new UnreadableImageException(name, "is not an image in a format SmearScan reads (PNG, JPEG, BMP, GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > maxPixels) {
                    throw new UnreadableImageException(name, "is too large: " + reader.getWidth(0) + "x"
                            + reader.getHeight(0) + " pixels, the limit is " + maxPixels);
                }
                BufferedImage image = reader.read(0);
                return toRgb(image);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new UnreadableImageException(name, "is truncated or corrupt: " + e.getMessage());
        }
    }

    /**
     * Width and height from an image's header, without decoding a pixel; null when no reader knows the
     * format. Callers word their own errors (a data summary and an upload report them differently).
     */
    public static int[] headerDimensions(ImageInputStream stream) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
        if (!readers.hasNext()) {
            return null;
        }
        ImageReader reader = readers.next();
        try {
            reader.setInput(stream, true, true);
            return new int[] {reader.getWidth(0), reader.getHeight(0)};
        } finally {
            reader.dispose();
        }
    }

    /** Grey, palette and alpha images become plain RGB; alpha is composited onto black, the crops' background. */
    public static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        var g = rgb.createGraphics();
        try {
            g.setColor(java.awt.Color.BLACK);
            g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }
}
