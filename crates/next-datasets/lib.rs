//! The datasets of `musli-alloc-bench`, compiled a second time against
//! musli 0.2.1.
//!
//! Both musli versions' derives read the same `#[musli(...)]` attributes
//! and name the crate `::musli`, so one type cannot derive both versions'
//! `Encode`. The dataset modules are written once, in the suite's
//! `src/datasets/`; this crate reads those files through `#[path]`, in a
//! crate where `musli` is 0.2.1. Its types have the same fields, attributes
//! and generators as the suite's; the suite fills them from its own values
//! (`musli_alloc_bench::datasets::NextDataset`), and its tests check that
//! this crate's generators give the same values.
//!
//! Nothing here is written by hand but this file: a dataset changed in
//! `src/datasets/` is changed here too.

#![deny(missing_docs)]

#[path = "../../src/datasets/catalog.rs"]
pub mod catalog;
#[path = "../../src/datasets/generic.rs"]
pub mod generic;
#[path = "../../src/datasets/geo.rs"]
pub mod geo;
#[path = "../../src/datasets/log.rs"]
pub mod log;
#[path = "../../src/datasets/mesh.rs"]
pub mod mesh;
#[path = "../../src/datasets/messages.rs"]
pub mod messages;
#[path = "../../src/datasets/social.rs"]
pub mod social;

#[path = "../../src/datasets/random.rs"]
mod random;
#[path = "../../src/datasets/text.rs"]
mod text;

/// The modes, where the dataset modules look for them
/// (`crate::format::Packed`).
pub mod format {
    /// The mode in which every struct of a dataset is packed, as the
    /// suite's own `format::Packed` in musli 0.0.122.
    pub enum Packed {}
}
