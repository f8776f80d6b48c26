package dev.inlay.bench.springapp;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

@Entity
public class Product {
    @Id
    @GeneratedValue
    private Long id;
    private String sku;
    private String title;
    private long priceCents;
    private int category;

    protected Product() {
    }

    public Product(String sku, String title, long priceCents, int category) {
        this.sku = sku;
        this.title = title;
        this.priceCents = priceCents;
        this.category = category;
    }

    public Long getId() {
        return id;
    }

    public String getSku() {
        return sku;
    }

    public String getTitle() {
        return title;
    }

    public long getPriceCents() {
        return priceCents;
    }

    public int getCategory() {
        return category;
    }
}
