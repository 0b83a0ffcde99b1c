//! The run's random generator: ChaCha12, the algorithm behind rand's
//! `StdRng`, used through the `chacha20` crate directly because rand
//! documents `StdRng` as free to change between versions (a trace must not)
//! and because a checkpoint has to copy it, which `StdRng` does not allow.
//! Same seed, same stream as the `StdRng` this engine used before.

use std::convert::Infallible;

use chacha20::ChaCha12Rng;
use rand::{SeedableRng, TryRng};

pub(crate) struct SimRng(ChaCha12Rng);

impl SimRng {
    pub fn seed_from_u64(seed: u64) -> Self {
        SimRng(ChaCha12Rng::seed_from_u64(seed))
    }
}

impl Clone for SimRng {
    /// The generator's whole state is its seed, stream and word position.
    fn clone(&self) -> Self {
        SimRng(ChaCha12Rng::deserialize_state(&self.0.serialize_state()))
    }
}

impl TryRng for SimRng {
    type Error = Infallible;

    #[inline(always)]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        self.0.try_next_u32()
    }

    #[inline(always)]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.0.try_next_u64()
    }

    #[inline(always)]
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        self.0.try_fill_bytes(dst)
    }
}

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::{RngExt, SeedableRng};

    use super::SimRng;

    #[test]
    fn gives_the_same_stream_as_std_rng() {
        let mut ours = SimRng::seed_from_u64(42);
        let mut std = StdRng::seed_from_u64(42);
        for _ in 0..1000 {
            assert_eq!(ours.random::<u64>(), std.random::<u64>());
        }
    }

    #[test]
    fn a_clone_continues_where_the_original_is() {
        let mut a = SimRng::seed_from_u64(7);
        for _ in 0..37 {
            let _: u32 = a.random();
        }
        let mut b = a.clone();
        let xs: Vec<u64> = (0..100).map(|_| a.random()).collect();
        let ys: Vec<u64> = (0..100).map(|_| b.random()).collect();
        assert_eq!(xs, ys);
    }
}
