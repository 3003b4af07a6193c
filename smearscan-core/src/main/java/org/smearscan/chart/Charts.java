package org.smearscan.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.smearscan.io.AtomicFiles;

/**
 * What every SmearScan chart shares: one XChart style and palette, rendering off-screen to PNG, and
 * writing the PNG atomically. The training run's charts and the evaluation report's charts are built on it.
 */
public final class Charts {
    /** The main series. */
    public static final Color CURVE = new Color(0x3b528b);
    /** A second series drawn against the first (validation loss, momentum). */
    public static final Color SECOND = new Color(0xd95f02);

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Charts() {}

    /** An empty XY chart in the common style: white background, light grid lines and legend border. */
    public static XYChart xy(int width, int height, String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xdddddd));
        chart.getStyler().setLegendBorderColor(new Color(0xcccccc));
        return chart;
    }

    /** A plain line, no markers. */
    public static XYSeries line(XYSeries s, Color colour) {
        s.setMarker(SeriesMarkers.NONE).setLineColor(colour).setLineStyle(new BasicStroke(1.5f));
        return s;
    }

    /** Circles joined by a line. */
    public static XYSeries points(XYSeries s, Color colour) {
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(colour);
        s.setLineColor(colour);
        return s;
    }

    /** The chart as PNG bytes. */
    public static byte[] png(Chart<?, ?> chart) throws IOException {
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /** Writes the chart as a PNG, atomically. */
    public static void save(Chart<?, ?> chart, Path file) throws IOException {
        AtomicFiles.write(file, png(chart));
    }
}
