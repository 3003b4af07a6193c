package org.smearscan.field.truth;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.smearscan.stats.Estimate;

/** How figures are written, the same in the field scores and the complete-truth scores. */
final class ScoreFormat {
    private ScoreFormat() {}

    /** {@code {"value": v, "low": lo, "high": hi}}, undefined parts as null: JSON has no NaN. */
    static ObjectNode figure(Estimate estimate) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        putNumber(node, "value", estimate.value());
        putNumber(node, "low", estimate.lo());
        putNumber(node, "high", estimate.hi());
        return node;
    }

    static void putNumber(ObjectNode node, String key, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }

    /** A figure with its interval, e.g. {@code 0.9312 [0.9021, 0.9517]}, or {@code undefined}. */
    static String estimate(Estimate e, int decimals) {
        if (!e.isDefined()) {
            return "undefined";
        }
        String number = "%." + decimals + "f";
        if (Double.isNaN(e.lo()) || Double.isNaN(e.hi())) {
            return String.format(Locale.ROOT, number, e.value());
        }
        return String.format(Locale.ROOT, number + " [" + number + ", " + number + "]", e.value(), e.lo(), e.hi());
    }

    /** A number, or {@code -} when undefined. */
    static String number(double value, int decimals) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** Columns padded to their widest cell: the first (a name) left-aligned, the rest (numbers) right-aligned. */
    static String table(List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        int[] widths = new int[header.size()];
        for (List<String> row : all) {
            for (int c = 0; c < row.size(); c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : all) {
            for (int c = 0; c < row.size(); c++) {
                String cell = row.get(c);
                String padding = " ".repeat(widths[c] - cell.length());
                out.append(c == 0 ? "" : "  ").append(c == 0 ? cell + padding : padding + cell);
            }
            out.append('\n');
        }
        return out.toString();
    }
}
