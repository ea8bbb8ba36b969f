//! The selection among the finalists, on fresh common-random-number replications, with a
//! stated guarantee.
