package dev.inlay.bench.springapp;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;

public interface ProductRepository extends JpaRepository<Product, Long> {
    List<Product> findTop20ByCategoryOrderByPriceCentsAsc(int category);
}
