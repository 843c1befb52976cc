//! Printing many letters at once: every core lays letters out, in order,
//! with a tick after each and a flag that stops the batch between letters.

use std::sync::atomic::{AtomicBool, Ordering};

use caseload_core::letter::material::LetterMaterial;
use caseload_core::letter::Letter;
use thiserror::Error;

use super::{LetterDocError, LetterSet};
use crate::typeset::Typesetter;

/// A letter to print, with the records it was drafted from.
#[derive(Debug, Clone)]
pub struct Printable {
    pub letter: Letter,
    pub material: LetterMaterial,
}

#[derive(Debug, Error)]
pub enum BatchError {
    #[error("the batch was cancelled; nothing was written")]
    Cancelled,
    #[error("{school} (URN {urn}): {error}")]
    Letter {
        school: String,
        urn: u32,
        error: LetterDocError,
    },
    #[error("a printing thread stopped unexpectedly")]
    Thread,
}

impl LetterSet {
    /// The PDF of one letter as it reads now.
    pub fn print(
        &self,
        typesetter: &Typesetter,
        printable: &Printable,
    ) -> Result<Vec<u8>, LetterDocError> {
        let document = self.document(&printable.letter, &printable.material)?;
        Ok(typesetter.render(&document)?)
    }

    /// Every letter's PDF, in the order given, laid out on all cores.
    /// `printed` is called once per letter; setting `cancel` stops the batch.
    pub fn print_all(
        &self,
        typesetter: &Typesetter,
        letters: &[Printable],
        printed: &(dyn Fn() + Sync),
        cancel: &AtomicBool,
    ) -> Result<Vec<Vec<u8>>, BatchError> {
        let workers = std::thread::available_parallelism().map_or(1, |count| count.get());
        let chunk = letters.len().div_ceil(workers).max(1);
        std::thread::scope(|scope| {
            let handles: Vec<_> = letters
                .chunks(chunk)
                .map(|share| {
                    scope.spawn(move || self.print_share(typesetter, share, printed, cancel))
                })
                .collect();
            let mut pdfs = Vec::with_capacity(letters.len());
            for handle in handles {
                pdfs.extend(handle.join().map_err(|_| BatchError::Thread)??);
            }
            Ok(pdfs)
        })
    }

    fn print_share(
        &self,
        typesetter: &Typesetter,
        share: &[Printable],
        printed: &(dyn Fn() + Sync),
        cancel: &AtomicBool,
    ) -> Result<Vec<Vec<u8>>, BatchError> {
        share
            .iter()
            .map(|printable| {
                if cancel.load(Ordering::Relaxed) {
                    return Err(BatchError::Cancelled);
                }
                let pdf =
                    self.print(typesetter, printable)
                        .map_err(|error| BatchError::Letter {
                            school: printable.material.school.name.clone(),
                            urn: printable.material.school.urn.0,
                            error,
                        })?;
                printed();
                Ok(pdf)
            })
            .collect()
    }
}
