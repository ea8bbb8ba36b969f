//! The search over the lattice of decision values: exhaustive for small grids, pattern
//! search with paired comparisons for larger ones. It finds finalists; it carries no
//! guarantee (the [`selection`](super::selection) does).
