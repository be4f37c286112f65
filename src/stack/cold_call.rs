//! The call from `StackBuf::write` to its slow path, made so that it costs
//! the code around it no registers.
//!
//! musli inlines `write` into its encoders, and its varint encoder writes a
//! byte at a time in a loop. An ordinary call anywhere in that loop, even on
//! a path that almost never runs, clobbers every caller-saved register, so
//! the compiler keeps what the loop needs across it (the buffer's header,
//! data and length, the value left to encode) in callee-saved registers, and
//! the encoder saves and restores six of them on every call of it, even for
//! a one-byte varint. Over a buffer whose write makes no call it saves one.
//!
//! On x86-64 the call goes through a trampoline that saves the
//! general-purpose registers itself, and the `asm!` block that calls it
//! tells the compiler exactly what changes: the register with the result,
//! and the vector registers, which the trampoline leaves alone (the compiler
//! spills a vector value live across the call on that path only, and there
//! is rarely one). The varint encoder then saves one register, unless
//! musli's own error path leads back into the loop, as it does with `wire`'s
//! error type.
//!
//! Only builds without AVX take this path. The block names the sixteen SSE
//! registers as clobbered; AVX-512 adds vector and mask registers it would
//! have to name too, and rather than rely on naming an SSE register to
//! cover the wider AVX register it is part of, builds with AVX enabled,
//! other targets, and Miri, which runs no assembly, make an ordinary call.

#[cfg(all(
    target_arch = "x86_64",
    target_feature = "sse2",
    not(target_feature = "avx"),
    not(miri)
))]
pub(super) use self::trampoline::make_room_cold;

#[cfg(not(all(
    target_arch = "x86_64",
    target_feature = "sse2",
    not(target_feature = "avx"),
    not(miri)
)))]
pub(super) use self::ordinary::make_room_cold;

#[cfg(all(
    target_arch = "x86_64",
    target_feature = "sse2",
    not(target_feature = "avx"),
    not(miri)
))]
mod trampoline {
    use core::ptr::NonNull;

    use super::super::buf::make_room;
    use super::super::regions::Header;

    /// [`make_room`], called so that the caller keeps every register but
    /// `rax` and the vector registers.
    ///
    /// # Safety
    ///
    /// As for [`make_room`]: `header` must be the header of a live
    /// `StackBuf`.
    #[inline(always)]
    pub(in crate::stack) unsafe fn make_room_cold(
        header: NonNull<Header>,
        len: usize,
        additional: usize,
    ) -> Option<NonNull<u8>> {
        let data: *mut u8;
        // SAFETY: `make_room_saving_registers` gives back every
        // general-purpose register but `rax`, which carries the header in
        // and the result out; the block declares the vector registers
        // clobbered, and flags count as clobbered since it does not say
        // `preserves_flags`. Without `nostack`, the stack is aligned for a
        // call on entry and nothing is kept below the stack pointer, so the
        // `call` may push. Without `nomem`, the compiler assumes the block
        // may read and write any memory, as `make_room` does.
        // `make_room_sysv` cannot unwind: a panic in an `extern "sysv64"`
        // function aborts. The caller upholds `make_room`'s contract.
        unsafe {
            core::arch::asm!(
                "call {trampoline}",
                trampoline = sym make_room_saving_registers,
                inout("rax") header.as_ptr().cast::<u8>() => data,
                in("r10") len,
                in("r11") additional,
                out("xmm0") _, out("xmm1") _, out("xmm2") _, out("xmm3") _,
                out("xmm4") _, out("xmm5") _, out("xmm6") _, out("xmm7") _,
                out("xmm8") _, out("xmm9") _, out("xmm10") _, out("xmm11") _,
                out("xmm12") _, out("xmm13") _, out("xmm14") _, out("xmm15") _,
            );
        }
        NonNull::new(data)
    }

    /// [`make_room`] with the System V calling convention, which the
    /// trampoline is written for, on every x86-64 target.
    #[cold]
    #[inline(never)]
    unsafe extern "sysv64" fn make_room_sysv(
        header: NonNull<Header>,
        len: usize,
        additional: usize,
    ) -> Option<NonNull<u8>> {
        // SAFETY: `make_room_cold`'s caller upholds `make_room`'s contract,
        // and the trampoline passes its arguments on unchanged.
        unsafe { make_room(header, len, additional) }
    }

    /// Calls `make_room_sysv` with the arguments it finds in `rax`, `r10`
    /// and `r11`, and returns its result in `rax`, having saved and
    /// restored every other caller-saved general-purpose register. Not the
    /// argument registers: musli's varint encoder has its own arguments in
    /// them, and the compiler would move those out of the way on every call
    /// of it.
    ///
    /// The stack: on entry the return address sits on a stack that was
    /// 16-aligned before the `call`; eight pushes keep it 8 past a multiple
    /// of 16, and the `sub` of 8 aligns it for the next `call`.
    // SAFETY: the body is the whole function. It is only called from an
    // `asm!` block (in `make_room_cold`, and in a test), with the arguments
    // in `rax`, `r10` and `r11` and a stack aligned as described above, so
    // `make_room_sysv` is called as the System V convention wants it. That
    // function gives back the callee-saved registers, the stack pointer and
    // the direction flag as the convention says, and the pops give back the
    // rest but `rax`, its result.
    #[unsafe(naked)]
    unsafe extern "sysv64" fn make_room_saving_registers() {
        core::arch::naked_asm!(
            "push rcx",
            "push rdx",
            "push rsi",
            "push rdi",
            "push r8",
            "push r9",
            "push r10",
            "push r11",
            "sub rsp, 8",
            "mov rdi, rax",
            "mov rsi, r10",
            "mov rdx, r11",
            "call {make_room}",
            "add rsp, 8",
            "pop r11",
            "pop r10",
            "pop r9",
            "pop r8",
            "pop rdi",
            "pop rsi",
            "pop rdx",
            "pop rcx",
            "ret",
            make_room = sym make_room_sysv,
        )
    }

    #[cfg(test)]
    mod tests {
        use std::vec;

        use musli::{Allocator, Buf};

        use super::make_room_saving_registers;
        use crate::{Stack, StackBuf, StackBuffer};

        /// Calls the trampoline as `make_room_cold` does, for `additional` more
        /// bytes in `buffer`, with a pattern in every register it promises to
        /// keep; asserts that they come back unchanged and returns where the
        /// buffer's bytes are now.
        fn make_room_checking_registers(buffer: &StackBuf<'_>, additional: usize) -> *const u8 {
            let kept = [
                0x0707_0707_0707_0707,
                0x0606_0606_0606_0606,
                0x0202_0202_0202_0202,
                0x0101_0101_0101_0101,
                0x0808_0808_0808_0808,
                0x0909_0909_0909_0909,
                buffer.len() as u64,
                additional as u64,
            ];
            let [
                mut rdi,
                mut rsi,
                mut rdx,
                mut rcx,
                mut r8,
                mut r9,
                mut r10,
                mut r11,
            ] = kept;
            let data: *mut u8;
            // SAFETY: as in `make_room_cold`, with every register the trampoline
            // keeps passed in and read back; `buffer` is alive, and `r10` is the
            // length it wrote.
            unsafe {
                core::arch::asm!(
                    "call {trampoline}",
                    trampoline = sym make_room_saving_registers,
                    inout("rdi") rdi, inout("rsi") rsi, inout("rdx") rdx,
                    inout("rcx") rcx, inout("r8") r8, inout("r9") r9,
                    inout("r10") r10, inout("r11") r11,
                    inout("rax") buffer.header().as_ptr().cast::<u8>() => data,
                    out("xmm0") _, out("xmm1") _, out("xmm2") _, out("xmm3") _,
                    out("xmm4") _, out("xmm5") _, out("xmm6") _, out("xmm7") _,
                    out("xmm8") _, out("xmm9") _, out("xmm10") _, out("xmm11") _,
                    out("xmm12") _, out("xmm13") _, out("xmm14") _, out("xmm15") _,
                );
            }
            assert_eq!([rdi, rsi, rdx, rcx, r8, r9, r10, r11], kept);
            data.cast_const()
        }

        #[test]
        fn the_trampoline_keeps_the_registers_of_a_buffer_growing_in_place() {
            let mut slice = StackBuffer::<4096>::new();
            let stack = Stack::new(&mut slice);
            let mut buffer = stack.alloc().expect("an empty slice has room");
            let window = buffer.capacity();
            assert!(buffer.write(&vec![7; window]));

            let data = make_room_checking_registers(&buffer, 100);

            // The buffer, last and alone, grew where it is.
            assert_eq!(data, buffer.as_slice().as_ptr());
            assert!(buffer.capacity() >= window + 100);
            assert!(buffer.write(&[8; 100]));
            assert_eq!(buffer.as_slice(), [vec![7; window], vec![8; 100]].concat());
        }

        #[test]
        fn the_trampoline_keeps_the_registers_of_a_buffer_that_moves() {
            let mut slice = StackBuffer::<4096>::new();
            let stack = Stack::new(&mut slice);
            let mut buffer = stack.alloc().expect("an empty slice has room");
            let window = buffer.capacity();
            assert!(buffer.write(&vec![7; window]));
            let _after = stack.alloc().expect("the slice has room for a second");

            let data = make_room_checking_registers(&buffer, 100);

            // The buffer was not last: its bytes went behind the other one.
            assert_eq!(stack.stats().moves, 1);
            // SAFETY: `make_room` returned the start of the buffer's region,
            // where its `window` written bytes now are.
            let moved = unsafe { core::slice::from_raw_parts(data, window) };
            assert_eq!(moved, vec![7; window]);
            // `buffer` still has the old place, as `write` would have stored the
            // new one: it is only dropped from here on, which uses its header.
            drop(buffer);
        }
    }
}

#[cfg(not(all(
    target_arch = "x86_64",
    target_feature = "sse2",
    not(target_feature = "avx"),
    not(miri)
)))]
mod ordinary {
    use core::ptr::NonNull;

    use super::super::buf::make_room;
    use super::super::regions::Header;

    /// [`make_room`], out of line: an ordinary call.
    ///
    /// # Safety
    ///
    /// As for [`make_room`].
    #[cold]
    #[inline(never)]
    pub(in crate::stack) unsafe fn make_room_cold(
        header: NonNull<Header>,
        len: usize,
        additional: usize,
    ) -> Option<NonNull<u8>> {
        // SAFETY: the caller upholds `make_room`'s contract.
        unsafe { make_room(header, len, additional) }
    }
}
