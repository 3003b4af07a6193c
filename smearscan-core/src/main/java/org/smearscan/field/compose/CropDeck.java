package org.smearscan.field.compose;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Crops of one class in a shuffled order, dealt round and round. */
final class CropDeck {
    private final Random rnd;
    private final List<CellCrop> order;
    private int next;

    CropDeck(List<CellCrop> crops, Random rnd) {
        this.rnd = rnd;
        order = new ArrayList<>(crops);
        Collections.shuffle(order, rnd);
    }

    CellCrop next() {
        if (next == order.size()) {
            Collections.shuffle(order, rnd);
            next = 0;
        }
        return order.get(next++);
    }
}
