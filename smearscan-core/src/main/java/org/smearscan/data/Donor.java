package org.smearscan.data;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The donor (patient) a cell came from, read from the NIH file-name convention.
 *
 * <p>NIH names start with the slide, {@code C<n>}, and for infected donors continue with the patient,
 * {@code P<m>}, sometimes after one letter ({@code C65AP26thinF}, {@code C33BP2_thinF}). A patient may give
 * several slides, so {@code P<m>} is the donor. Healthy donors ({@code C1_thinF}, {@code C12NThinF}) have no
 * patient number: the slide {@code C<n>} is the donor. Keeping each donor's cells on one side of a split is
 * what makes a validation score honest: cells of one smear look alike.
 */
public final class Donor {
    private static final Pattern PATIENT = Pattern.compile("^C\\d+[A-Za-z]?P(\\d+)");
    private static final Pattern SLIDE = Pattern.compile("^C(\\d+)");

    private Donor() {}

    /** The donor id in a file name, or empty when the name does not follow the NIH convention. */
    public static Optional<String> parse(String fileName) {
        Matcher patient = PATIENT.matcher(fileName);
        if (patient.find()) {
            return Optional.of("P" + Integer.parseInt(patient.group(1)));
        }
        Matcher slide = SLIDE.matcher(fileName);
        if (slide.find()) {
            return Optional.of("C" + Integer.parseInt(slide.group(1)));
        }
        return Optional.empty();
    }

    /**
     * The donor of an image file. A file whose name carries no donor becomes its own donor (its file name),
     * so a donor split of such data degrades to a plain random split instead of failing.
     */
    public static String of(Path file) {
        String name = file.getFileName().toString();
        return parse(name).orElse(name);
    }

    /** Whether the file name carries an NIH donor id. */
    public static boolean isKnown(Path file) {
        return parse(file.getFileName().toString()).isPresent();
    }
}
