//! `mesh`: a triangle mesh, each triangle carrying its three vertices.
//!
//! The leaf type is [`Vertex`] (position, normal and texture coordinate, 32
//! bytes of `f32`): in the `default` mode every vertex takes one buffer.
//!
//! # Distributions
//!
//! * A terrain: a square grid of quads, two triangles each, 10,000
//!   triangles per unit of scale. Vertices are repeated by value in every
//!   triangle that uses them, as an unindexed export writes them.
//! * Heights blend a 9 x 9 lattice of random heights in `[-0.2, 0.2]`;
//!   normals are unit vectors from the slope; `uv` covers `[0, 1]`.

use musli::{Decode, Encode};
use serde::{Deserialize, Serialize};

use super::random::Random;
use crate::format::Packed;

/// A triangle mesh.
#[derive(Clone, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(mode = Packed, packed)]
pub struct Mesh {
    /// The triangles.
    pub triangles: Vec<Triangle>,
}

/// One triangle.
#[derive(Clone, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(mode = Packed, packed)]
pub struct Triangle {
    /// The first vertex.
    pub a: Vertex,
    /// The second vertex.
    pub b: Vertex,
    /// The third vertex.
    pub c: Vertex,
}

/// A vertex: where it is, which way it faces, where it samples the texture.
#[derive(Clone, Copy, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(packed)]
#[musli(mode = Packed, packed)]
pub struct Vertex {
    /// Position, x.
    pub px: f32,
    /// Position, y.
    pub py: f32,
    /// Position, z.
    pub pz: f32,
    /// Normal, x.
    pub nx: f32,
    /// Normal, y.
    pub ny: f32,
    /// Normal, z.
    pub nz: f32,
    /// Texture coordinate, u.
    pub u: f32,
    /// Texture coordinate, v.
    pub v: f32,
}

/// Triangles per unit of scale.
const TRIANGLES: f64 = 10_000.0;

/// Control points per side of the height lattice.
const LATTICE: usize = 9;

/// Generates the dataset for `seed` at `scale`.
pub fn generate(seed: u64, scale: f64) -> Mesh {
    let mut random = Random::new(seed);
    let quads = super::random::scaled(TRIANGLES / 2.0, scale);
    let rows = ((quads as f64).sqrt().ceil() as usize).max(1);
    let columns = quads.div_ceil(rows);

    // Heights at a coarse lattice, blended bilinearly: rolling terrain. Only
    // +, *, / and sqrt are used, which IEEE 754 rounds the same everywhere.
    let lattice: Vec<f64> = (0..LATTICE * LATTICE)
        .map(|_| random.float(-0.2, 0.2))
        .collect();
    let height = |x: f64, z: f64| -> f64 {
        let (gx, gz) = (x * (LATTICE - 1) as f64, z * (LATTICE - 1) as f64);
        let (ix, iz) = (
            (gx as usize).min(LATTICE - 2),
            (gz as usize).min(LATTICE - 2),
        );
        let (fx, fz) = (gx - ix as f64, gz - iz as f64);
        let at = |dx: usize, dz: usize| lattice[(iz + dz) * LATTICE + ix + dx];
        let near = at(0, 0) * (1.0 - fx) + at(1, 0) * fx;
        let far = at(0, 1) * (1.0 - fx) + at(1, 1) * fx;
        near * (1.0 - fz) + far * fz
    };

    let vertex = |row: usize, column: usize| -> Vertex {
        let (u, v) = (column as f64 / columns as f64, row as f64 / rows as f64);
        let step = 1e-3;
        let slope_x = (height(u + step, v) - height(u - step, v)) / (2.0 * step);
        let slope_z = (height(u, v + step) - height(u, v - step)) / (2.0 * step);
        let length = (slope_x * slope_x + 1.0 + slope_z * slope_z).sqrt();

        Vertex {
            px: (u * 2.0 - 1.0) as f32,
            py: height(u, v) as f32,
            pz: (v * 2.0 - 1.0) as f32,
            nx: (-slope_x / length) as f32,
            ny: (1.0 / length) as f32,
            nz: (-slope_z / length) as f32,
            u: u as f32,
            v: v as f32,
        }
    };

    let mut triangles = Vec::with_capacity(quads * 2);
    for quad in 0..quads {
        let (row, column) = (quad / columns, quad % columns);
        let (a, b) = (vertex(row, column), vertex(row, column + 1));
        let (c, d) = (vertex(row + 1, column), vertex(row + 1, column + 1));
        triangles.push(Triangle { a, b, c });
        triangles.push(Triangle { a: b, b: d, c });
    }

    Mesh { triangles }
}
