"""双随机、一公开: inspection items, plans, verifiable draws, results and joint scheduling."""
