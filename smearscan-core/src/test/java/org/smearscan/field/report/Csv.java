package org.smearscan.field.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the RFC 4180 text the screen writes, for tests: rows as maps from the header's names. */
final class Csv {
    private Csv() {}

    static List<Map<String, String>> parse(String text) {
        List<List<String>> rows = org.smearscan.io.Csv.rows(text);
        List<String> header = rows.get(0);
        List<Map<String, String>> out = new ArrayList<>();
        for (List<String> r : rows.subList(1, rows.size())) {
            if (r.size() != header.size()) {
                throw new IllegalArgumentException("a row of " + r.size() + " cells under a header of " + header.size()
                        + ": " + r);
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                m.put(header.get(i), r.get(i));
            }
            out.add(m);
        }
        return out;
    }
}
