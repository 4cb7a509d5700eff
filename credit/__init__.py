"""Red and black credit lists with due process, linked to licensing decisions."""
