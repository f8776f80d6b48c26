package dev.inlay.bench.springapp;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/** The endpoints bench/http.sh loads: one primary-key read and one indexed query, both answered as JSON. */
@RestController
public class ProductController {
    private final ProductRepository products;

    public ProductController(ProductRepository products) {
        this.products = products;
    }

    @GetMapping("/health")
    public Map<String, String> health() {
        return Map.of("status", "ok");
    }

    @GetMapping("/products/{id}")
    public ResponseEntity<Product> product(@PathVariable long id) {
        return products.findById(id).map(ResponseEntity::ok).orElse(ResponseEntity.notFound().build());
    }

    @GetMapping("/products")
    public List<Product> byCategory(@RequestParam(defaultValue = "3") int category) {
        return products.findTop20ByCategoryOrderByPriceCentsAsc(category);
    }
}
