package org.smearscan.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Training and validation images. Every split is a pure function of its inputs and seed: the same images
 * and seed give the same split on any machine (inputs are sorted by path before shuffling).
 *
 * @param train       images to fit on
 * @param valid       images held out
 * @param description how the split was made, e.g. {@code donor valid_pct=0.2 seed=42}, for provenance
 */
public record Split(List<CellImage> train, List<CellImage> valid, String description) {
    public Split {
        train = List.copyOf(train);
        valid = List.copyOf(valid);
    }

    /** Random images to validation, {@code validPct} of each class (stratified), rounded per class. */
    public static Split random(List<CellImage> images, double validPct, long seed) {
        checkPct(validPct);
        Map<Integer, List<CellImage>> byClass = new TreeMap<>();
        for (CellImage image : sortedByPath(images)) {
            byClass.computeIfAbsent(image.label(), k -> new ArrayList<>()).add(image);
        }
        Random rnd = new Random(seed);
        List<CellImage> train = new ArrayList<>();
        List<CellImage> valid = new ArrayList<>();
        for (List<CellImage> members : byClass.values()) {
            Collections.shuffle(members, rnd);
            int nValid = (int) Math.round(members.size() * validPct);
            valid.addAll(members.subList(0, nValid));
            train.addAll(members.subList(nValid, members.size()));
        }
        return new Split(sortedByPath(train), sortedByPath(valid), "random valid_pct=" + validPct + " seed=" + seed);
    }

    /**
     * Whole donors to validation, as near {@code validPct} of the images as donor sizes allow. Donors are
     * stratified by the classes they have cells of (in NIH: infected donors have both classes, healthy ones
     * only Uninfected), so both kinds are represented on each side in about the same proportion.
     */
    public static Split byDonor(List<CellImage> images, double validPct, long seed) {
        checkPct(validPct);
        Map<String, List<CellImage>> byDonor = groupByDonor(images);
        if (byDonor.size() < 2) {
            throw new IllegalArgumentException("a donor split needs at least 2 donors, the data has " + byDonor.size());
        }
        Random rnd = new Random(seed);
        Set<String> validDonors = new HashSet<>();
        for (List<String> stratum : strata(byDonor).values()) {
            Collections.shuffle(stratum, rnd);
            long total = stratum.stream().mapToLong(d -> byDonor.get(d).size()).sum();
            double target = total * validPct;
            long taken = 0;
            // Greedy: take each donor, in random order, when it brings the count nearer the target.
            for (String donor : stratum) {
                int n = byDonor.get(donor).size();
                if (Math.abs(taken + n - target) < Math.abs(taken - target)) {
                    validDonors.add(donor);
                    taken += n;
                }
            }
        }
        if (validDonors.isEmpty()) {
            // Every donor alone overshoots the target: the smallest one is the nearest a donor split can get.
            validDonors.add(byDonor.keySet().stream().min(Comparator.comparingInt(d -> byDonor.get(d).size())).orElseThrow());
        }
        if (validDonors.size() == byDonor.size()) {
            // Only possible with a large valid_pct and few donors: training must keep at least one.
            validDonors.remove(validDonors.stream().min(Comparator.comparingInt(d -> byDonor.get(d).size())).orElseThrow());
        }
        return partition(byDonor, validDonors, "donor valid_pct=" + validPct + " seed=" + seed);
    }

    /**
     * Fold {@code fold} (1..{@code folds}) of a donor-level k-fold: every donor is in exactly one fold's
     * validation side. Donors of each stratum are dealt, in random order, to the fold with the fewest images
     * of that stratum so far, which keeps folds near equal in images and in mix.
     */
    public static Split donorFold(List<CellImage> images, int folds, int fold, long seed) {
        if (folds < 2) {
            throw new IllegalArgumentException("k-fold needs at least 2 folds, got " + folds);
        }
        if (fold < 1 || fold > folds) {
            throw new IllegalArgumentException("fold must be 1.." + folds + ", got " + fold);
        }
        Map<String, List<CellImage>> byDonor = groupByDonor(images);
        if (byDonor.size() < folds) {
            throw new IllegalArgumentException(folds + " folds need at least " + folds + " donors, the data has "
                    + byDonor.size());
        }
        Map<String, Integer> foldOf = foldAssignment(byDonor, folds, seed);
        Set<String> validDonors = new HashSet<>();
        foldOf.forEach((donor, f) -> {
            if (f == fold) {
                validDonors.add(donor);
            }
        });
        return partition(byDonor, validDonors, "donor-kfold folds=" + folds + " fold=" + fold + " seed=" + seed);
    }

    /** Which fold (1..folds) each donor validates in. */
    static Map<String, Integer> foldAssignment(Map<String, List<CellImage>> byDonor, int folds, long seed) {
        Random rnd = new Random(seed);
        Map<String, Integer> foldOf = new TreeMap<>();
        long[] totals = new long[folds];
        for (List<String> stratum : strata(byDonor).values()) {
            Collections.shuffle(stratum, rnd);
            long[] inStratum = new long[folds];
            for (String donor : stratum) {
                int best = 0;
                for (int f = 1; f < folds; f++) {
                    if (inStratum[f] < inStratum[best] || (inStratum[f] == inStratum[best] && totals[f] < totals[best])) {
                        best = f;
                    }
                }
                int n = byDonor.get(donor).size();
                inStratum[best] += n;
                totals[best] += n;
                foldOf.put(donor, best + 1);
            }
        }
        return foldOf;
    }

    /** The train/valid folders of a pre-split data set; images from {@code test/} go to neither side. */
    public static Split folders(CellDataset dataset) {
        if (!dataset.isPreSplit()) {
            throw new IllegalArgumentException(dataset.root() + " has no train/ and valid/ folders to split by");
        }
        List<CellImage> train = new ArrayList<>();
        List<CellImage> valid = new ArrayList<>();
        for (CellImage image : dataset.images()) {
            String folder = dataset.folderOf(image).orElse("");
            if (folder.equals("train")) {
                train.add(image);
            } else if (folder.equals("valid")) {
                valid.add(image);
            }
        }
        if (train.isEmpty() || valid.isEmpty()) {
            throw new IllegalArgumentException(dataset.root() + ": the folders split needs images in both train/ and valid/"
                    + " (found " + train.size() + " and " + valid.size() + ")");
        }
        return new Split(train, valid, "folders");
    }

    /** Donors with images in training. */
    public Set<String> trainDonors() {
        return donorsOf(train);
    }

    /** Donors with images in validation. */
    public Set<String> validDonors() {
        return donorsOf(valid);
    }

    /** Donors on both sides: empty for donor splits, which is the point of them. */
    public Set<String> sharedDonors() {
        Set<String> shared = new TreeSet<>(trainDonors());
        shared.retainAll(validDonors());
        return shared;
    }

    private static Set<String> donorsOf(List<CellImage> images) {
        Set<String> donors = new TreeSet<>();
        for (CellImage image : images) {
            donors.add(image.donor());
        }
        return donors;
    }

    private static Split partition(Map<String, List<CellImage>> byDonor, Set<String> validDonors, String description) {
        List<CellImage> train = new ArrayList<>();
        List<CellImage> valid = new ArrayList<>();
        byDonor.forEach((donor, members) -> (validDonors.contains(donor) ? valid : train).addAll(members));
        return new Split(sortedByPath(train), sortedByPath(valid), description);
    }

    /** Donors sorted by id, each with its images sorted by path. */
    static Map<String, List<CellImage>> groupByDonor(List<CellImage> images) {
        Map<String, List<CellImage>> byDonor = new TreeMap<>();
        for (CellImage image : sortedByPath(images)) {
            byDonor.computeIfAbsent(image.donor(), k -> new ArrayList<>()).add(image);
        }
        return byDonor;
    }

    /** Donors grouped by the set of classes they have images of (e.g. "0,1" and "1"), in a stable order. */
    private static Map<String, List<String>> strata(Map<String, List<CellImage>> byDonor) {
        Map<String, List<String>> strata = new TreeMap<>();
        byDonor.forEach((donor, members) -> {
            TreeSet<Integer> labels = new TreeSet<>();
            for (CellImage image : members) {
                labels.add(image.label());
            }
            strata.computeIfAbsent(labels.toString(), k -> new ArrayList<>()).add(donor);
        });
        return strata;
    }

    private static List<CellImage> sortedByPath(List<CellImage> images) {
        List<CellImage> sorted = new ArrayList<>(images);
        sorted.sort(Comparator.comparing(CellImage::path));
        return sorted;
    }

    private static void checkPct(double validPct) {
        if (!(validPct > 0 && validPct < 1)) {
            throw new IllegalArgumentException("valid_pct must be between 0 and 1 (exclusive), got " + validPct);
        }
    }

    /** Counts per class on one side, indexed by label, for reports. */
    public static int[] countsPerClass(List<CellImage> images, int classes) {
        int[] counts = new int[classes];
        for (CellImage image : images) {
            counts[image.label()]++;
        }
        return counts;
    }
}
