package org.smearscan.field.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.smearscan.field.CellCall;
import org.smearscan.field.FieldBatch;
import org.smearscan.field.ScreenRun;
import org.smearscan.field.ScreenedFile;
import org.smearscan.io.AtomicFiles;

/**
 * A screen's output folder. Pictures are written as each field is screened, while its image is in memory
 * (an overlay per field, a crop per infected cell); the tables, the JSON document and the report when the run
 * is done. Every file is written atomically. The folder must be new or empty: results of an earlier screen
 * left beside new ones would be read as part of them.
 *
 * <pre>
 * fields.csv  slides.csv  cells.csv  screen.json  report.html
 * overlays/&lt;field&gt;.png          the field with each cell outlined in the colour of its call
 * gallery/&lt;field&gt;-cell&lt;i&gt;.png    each cell called infected, with a margin of its surroundings
 * </pre>
 */
public final class ScreenFolder implements FieldBatch.Sink {
    public static final String FIELDS_CSV = "fields.csv";
    public static final String SLIDES_CSV = "slides.csv";
    public static final String CELLS_CSV = "cells.csv";
    public static final String JSON = "screen.json";
    public static final String REPORT = "report.html";
    public static final String OVERLAYS = "overlays";
    public static final String GALLERY = "gallery";

    private final Path dir;
    private final Set<String> usedStems = new HashSet<>();
    private final Map<Path, String> overlays = new LinkedHashMap<>();
    private final List<GalleryCell> gallery = new ArrayList<>();

    private ScreenFolder(Path dir) {
        this.dir = dir;
    }

    /** Creates the folder, or takes an empty one; a non-empty one is refused before any work is done. */
    public static ScreenFolder create(Path dir) throws IOException {
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new IOException(dir + " is a file, not a folder; choose another --out");
            }
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException(dir + " is not empty; choose a new or empty folder for --out"
                            + " (screen does not mix its results with earlier ones)");
                }
            }
        }
        Files.createDirectories(dir);
        return new ScreenFolder(dir);
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void accept(ScreenedFile file, BufferedImage field) throws IOException {
        if (!file.isScreened()) {
            return;
        }
        String stem = uniqueStem(file.file());
        String overlay = OVERLAYS + "/" + stem + ".png";
        BufferedImage painted = OverlayPainter.paint(field, file.result());
        writePng(dir.resolve(overlay), painted);
        overlays.put(file.file(), overlay);
        List<CellCall> cells = file.result().cells();
        for (int i = 0; i < cells.size(); i++) {
            CellCall cell = cells.get(i);
            if (CallKind.of(cell) == CallKind.INFECTED) {
                String image = GALLERY + "/" + stem + "-cell" + (i + 1) + ".png";
                writePng(dir.resolve(image), CellCrop.crop(field, cell));
                gallery.add(new GalleryCell(file.slide(), file.name(), image, overlay, cell.parasitizedProbability()));
            }
        }
    }

    /** Each screened field's overlay, relative to the folder. */
    public Map<Path, String> overlays() {
        return Map.copyOf(overlays);
    }

    /** Writes the tables, the JSON document and the report of the finished run. */
    public void finish(ScreenRun run) throws IOException {
        // both folders exist even when empty, so that a gallery without cells reads as "none were infected"
        Files.createDirectories(dir.resolve(OVERLAYS));
        Files.createDirectories(dir.resolve(GALLERY));
        FieldTables tables = FieldTables.withOverlays(run, overlays);
        AtomicFiles.writeString(dir.resolve(FIELDS_CSV), tables.fieldsCsv());
        AtomicFiles.writeString(dir.resolve(SLIDES_CSV), tables.slidesCsv());
        AtomicFiles.writeString(dir.resolve(CELLS_CSV), tables.cellsCsv());
        AtomicFiles.writeString(dir.resolve(JSON), tables.json());
        SlideReport.write(dir.resolve(REPORT), run, overlays, gallery);
    }

    /**
     * The field's file name without extension, reduced to characters safe in a file name and a link, and
     * numbered when two fields (from different folders) share it.
     */
    private String uniqueStem(Path file) {
        String name = file.getFileName() == null ? "field" : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = (dot > 0 ? name.substring(0, dot) : name).replaceAll("[^A-Za-z0-9._-]", "_");
        if (stem.isEmpty() || stem.startsWith(".")) {
            stem = "field" + stem;
        }
        String candidate = stem;
        // case-insensitive, as file systems of Windows and macOS are
        for (int n = 2; !usedStems.add(candidate.toLowerCase(Locale.ROOT)); n++) {
            candidate = stem + "-" + n;
        }
        return candidate;
    }

    private static void writePng(Path file, BufferedImage image) throws IOException {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer in this Java runtime");
            }
        });
    }
}
