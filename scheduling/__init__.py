"""Joint-inspection scheduling (进一户、查多项): one visit per firm for every task that drew it."""
