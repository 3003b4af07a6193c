package org.smearscan.field;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a batch of fields came to: every input in order, screened or not, and the slides they sum to. The
 * outputs (tables, JSON, the report) are all written from this one value, so they cannot disagree.
 *
 * @param files    every input, in input order
 * @param grouping how the fields were grouped into slides
 * @param modelId  the model that called the cells
 */
public record ScreenRun(List<ScreenedFile> files, SlideGrouping grouping, String modelId) {

    public ScreenRun {
        files = List.copyOf(files);
        Objects.requireNonNull(grouping, "grouping");
        Objects.requireNonNull(modelId, "modelId");
    }

    /** The inputs that were screened. */
    public List<ScreenedFile> screened() {
        return files.stream().filter(ScreenedFile::isScreened).toList();
    }

    /** The inputs that could not be screened, with their reasons. */
    public List<ScreenedFile> problems() {
        return files.stream().filter(f -> !f.isScreened()).toList();
    }

    /**
     * The slides in order of their first input, each summing its screened fields. A slide none of whose
     * fields could be screened is kept, with no fields, so that it is reported rather than lost.
     */
    public List<SlideResult> slides() {
        Map<String, List<FieldResult>> bySlide = new LinkedHashMap<>();
        for (ScreenedFile f : files) {
            List<FieldResult> fields = bySlide.computeIfAbsent(f.slide(), s -> new ArrayList<>());
            if (f.isScreened()) {
                fields.add(f.result());
            }
        }
        List<SlideResult> slides = new ArrayList<>(bySlide.size());
        bySlide.forEach((slide, fields) -> slides.add(new SlideResult(slide, fields)));
        return slides;
    }

    /** Inputs of a slide that could not be screened. */
    public int problemsOf(String slide) {
        return (int) files.stream().filter(f -> !f.isScreened() && f.slide().equals(slide)).count();
    }
}
