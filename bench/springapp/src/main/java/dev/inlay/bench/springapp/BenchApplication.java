package dev.inlay.bench.springapp;

import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** A catalogue service: the shape of the Spring applications inlay wraps (MVC, Jackson, JPA over an H2 file database). */
@SpringBootApplication
public class BenchApplication {
    static final int SEEDED_PRODUCTS = 200;

    public static void main(String[] args) {
        SpringApplication.run(BenchApplication.class, args);
    }

    @Bean
    CommandLineRunner seed(ProductRepository products) {
        return args -> {
            if (products.count() >= SEEDED_PRODUCTS) return;
            for (int i = 1; i <= SEEDED_PRODUCTS; i++) {
                products.save(new Product("product-" + i, "Product number " + i, 100 + i * 7L, i % 10));
            }
        };
    }
}
