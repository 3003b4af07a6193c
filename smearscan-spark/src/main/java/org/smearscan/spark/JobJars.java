package org.smearscan.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The jars a cluster's executors need beyond Spark's own: the job's classes, the core library and its
 * dependencies (DJL, the PyTorch natives, ...). Spark ships files named in {@code spark.jars} from the driver to
 * every executor; a classes folder (as in a build tree) is packed into a temporary jar first, since Spark ships
 * files only.
 */
final class JobJars {
    private JobJars() {}

    /** The entries of a classpath, folders packed as jars; a missing entry fails, naming it. */
    static List<String> of(List<Path> classpath) throws IOException {
        List<String> jars = new ArrayList<>(classpath.size());
        for (Path entry : classpath) {
            if (Files.isDirectory(entry)) {
                jars.add(pack(entry).toString());
            } else if (Files.isRegularFile(entry)) {
                jars.add(entry.toAbsolutePath().toString());
            } else {
                throw new IOException("job jar " + entry + " does not exist");
            }
        }
        return jars;
    }

    private static Path pack(Path folder) throws IOException {
        Path jar = Files.createTempFile("smearscan-job-classes-", ".jar");
        jar.toFile().deleteOnExit();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(folder)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                if (Files.isRegularFile(file)) {
                    out.putNextEntry(new JarEntry(folder.relativize(file).toString().replace('\\', '/')));
                    Files.copy(file, out);
                    out.closeEntry();
                }
            }
        }
        return jar;
    }
}
