//! Rate limits on guessing: enrolment attempts and failed sign-ins, per
//! client address, as token buckets kept in memory.
//!
//! A bucket holds `burst` attempts and refills one every `refill`; an
//! address with an empty bucket is answered 429 until it refills. Memory is
//! bounded: full buckets are forgotten when the table grows large.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const FORGET_ABOVE: usize = 10_000;

#[derive(Debug)]
pub struct RateLimit {
    burst: f64,
    refill: Duration,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimit {
    pub fn new(burst: u32, refill: Duration) -> RateLimit {
        RateLimit {
            burst: f64::from(burst),
            refill,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    fn refilled(&self, bucket: Bucket, now: Instant) -> Bucket {
        let earned = now.duration_since(bucket.at).as_secs_f64() / self.refill.as_secs_f64();
        Bucket {
            tokens: (bucket.tokens + earned).min(self.burst),
            at: now,
        }
    }

    /// How long `address` must wait before its next attempt, if it must.
    pub fn wait(&self, address: IpAddr, now: Instant) -> Option<Duration> {
        let buckets = self.buckets.lock().ok()?;
        let bucket = self.refilled(*buckets.get(&address)?, now);
        (bucket.tokens < 1.0).then(|| self.refill.mul_f64(1.0 - bucket.tokens))
    }

    /// Spends one attempt of `address`'s.
    pub fn spend(&self, address: IpAddr, now: Instant) {
        let Ok(mut buckets) = self.buckets.lock() else {
            return;
        };
        if buckets.len() > FORGET_ABOVE {
            let burst = self.burst;
            let refill = self.refill;
            buckets.retain(|_, bucket| {
                let earned = now.duration_since(bucket.at).as_secs_f64() / refill.as_secs_f64();
                bucket.tokens + earned < burst
            });
        }
        let full = Bucket {
            tokens: self.burst,
            at: now,
        };
        let bucket = self.refilled(*buckets.get(&address).unwrap_or(&full), now);
        buckets.insert(
            address,
            Bucket {
                tokens: (bucket.tokens - 1.0).max(0.0),
                at: now,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_held_back_after_its_burst_and_let_in_as_it_refills() {
        let limit = RateLimit::new(3, Duration::from_secs(10));
        let address: IpAddr = [127, 0, 0, 1].into();
        let other: IpAddr = [127, 0, 0, 2].into();
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limit.wait(address, start), None);
            limit.spend(address, start);
        }
        let wait = limit.wait(address, start).expect("held back");
        assert!(wait <= Duration::from_secs(10));
        assert_eq!(limit.wait(other, start), None);
        assert_eq!(limit.wait(address, start + Duration::from_secs(10)), None);
    }
}
