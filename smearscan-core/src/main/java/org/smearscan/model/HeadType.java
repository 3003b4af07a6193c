package org.smearscan.model;

/** The classifier that sits on a body's last feature map. */
public enum HeadType {
    /** fastai's head: concat pool, BN, dropout 0.25, linear 512, ReLU, BN, dropout 0.5, linear. */
    FASTAI,
    /** torchvision's head: global average pool and one linear layer (used to match its parameter count). */
    LINEAR
}
