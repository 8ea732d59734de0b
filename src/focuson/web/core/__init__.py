"""What every page shares: the layout, the home page, languages, soft deletion, deny by default."""
