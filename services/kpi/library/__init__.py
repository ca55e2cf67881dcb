"""The national measure library: ASCOF measures shipped as data, adopted into a plan in one step."""
