package org.smearscan.io;

/** What the HTML reports share: escaping, and the page style they start from. */
public final class Html {
    /** The reports' common look: page, headings, links, tables. Each report appends its own rules. */
    public static final String BASE_CSS = """
            body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #222;
                   background: #fafafa; margin: 0; }
            main { max-width: 1100px; margin: 0 auto; padding: 24px; background: #fff; }
            h1 { font-size: 1.7em; margin-bottom: 0.2em; }
            h2 { border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-top: 2em; }
            nav { margin: 1em 0; font-size: 0.95em; }
            a { color: #2c5d8f; }
            .lead { color: #444; }
            table { border-collapse: collapse; margin: 1em 0; }
            th, td { border: 1px solid #ddd; padding: 4px 10px; text-align: left; vertical-align: top; }
            thead th { background: #f0f3f7; }
            """;

    private Html() {}

    /** Escapes text for HTML element content and attribute values. */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
