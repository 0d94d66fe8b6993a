"""Screens of the products app (master data): products, product categories, units of measure."""
