package org.smearscan.field.truth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The class of an annotated red cell, with the names IML-Malaria's {@code annotations.json} uses. Infected
 * cells carry their life-cycle stage; {@link #INFECTED} is an infected cell of unknown stage (composed
 * fields); {@link #DIFFICULT} is a cell the annotators could not decide on, left out of every count.
 */
public enum CellType {
    UNINFECTED("red blood cell"),
    RING("ring"),
    TROPHOZOITE("trophozoite"),
    SCHIZONT("schizont"),
    GAMETOCYTE("gametocyte"),
    INFECTED("infected"),
    DIFFICULT("difficult");

    private final String annotationName;

    CellType(String annotationName) {
        this.annotationName = annotationName;
    }

    /** The name in {@code annotations.json}. */
    public String annotationName() {
        return annotationName;
    }

    public boolean isInfected() {
        return this != UNINFECTED && this != DIFFICULT;
    }

    /** Whether the cell takes part in counts (every class but {@link #DIFFICULT}). */
    public boolean isCounted() {
        return this != DIFFICULT;
    }

    /** The type of an annotation's {@code type} string, case and surrounding spaces ignored. */
    public static Optional<CellType> fromAnnotation(String name) {
        String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.annotationName.equals(wanted)).findFirst();
    }
}
