// cairn-ed25519: the watcher's ed25519 verifier, a process beside the node (node/watcher/verifier-process.ts
// starts it; `npm run setup` builds it into .tools/bin). Jobs come on stdin and answers go to stdout, each
// framed as [u32 id][u32 length][bytes], big-endian. A job is verify-pool.ts's packChecks layout,
// [u32 count] then per check [32 key][64 signature][u32 length][message]; its answer holds one byte per
// check, 1 when the signature verifies and 0 when not, or is the length 0xFFFFFFFF with no bytes when the
// job is not well formed. It exits when stdin closes, so it never outlives the node.
//
// Why a process of its own: curve25519-voi's verification with Go crypto/ed25519's rules (cofactorless,
// small-order and non-canonical keys and R accepted as OpenSSL accepts them) and each key expanded once
// (a batch's 20,000 signatures share two or three keys) costs ~27 µs here against libsodium's ~41
// (bench/README.md, "Twelfth round", 34). The node asks OpenSSL, the chain's own verifier, about every
// signature this process refuses, so a 1 here is the only answer the node takes on its word.
package main

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"

	"github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
)

const (
	maxJobBytes = 64 << 20 // the node sends 512 checks a job: far below
	malformed   = 0xFFFFFFFF
	keyCacheCap = 4096
)

var opts = &ed25519.Options{Verify: ed25519.VerifyOptionsStdLib}

// Expanded keys, bounded: cleared when full (a node watches a few hundred operators and payers at most).
var (
	keysMu sync.Mutex
	keys   = map[[32]byte]*ed25519.ExpandedPublicKey{}
)

func expanded(key []byte) *ed25519.ExpandedPublicKey {
	var k [32]byte
	copy(k[:], key)
	keysMu.Lock()
	defer keysMu.Unlock()
	if e, ok := keys[k]; ok {
		return e
	}
	e, err := ed25519.NewExpandedPublicKey(ed25519.PublicKey(k[:]))
	if err != nil {
		return nil // not a point: every signature under it is refused
	}
	if len(keys) >= keyCacheCap {
		keys = map[[32]byte]*ed25519.ExpandedPublicKey{}
	}
	keys[k] = e
	return e
}

// verify answers one job; ok is false when the job is not well formed.
func verify(job []byte) (answer []byte, ok bool) {
	if len(job) < 4 {
		return nil, false
	}
	count := binary.BigEndian.Uint32(job)
	if uint64(count) > uint64(len(job)) {
		return nil, false
	}
	answer = make([]byte, count)
	o := 4
	for i := range answer {
		if len(job)-o < 100 {
			return nil, false
		}
		key, sig := job[o:o+32], job[o+32:o+96]
		n := int(binary.BigEndian.Uint32(job[o+96 : o+100]))
		o += 100
		if n > len(job)-o {
			return nil, false
		}
		message := job[o : o+n]
		o += n
		if e := expanded(key); e != nil && ed25519.VerifyExpandedWithOptions(e, message, sig, opts) {
			answer[i] = 1
		}
	}
	if o != len(job) {
		return nil, false
	}
	return answer, true
}

func main() {
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	var outMu sync.Mutex
	var running sync.WaitGroup
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	header := make([]byte, 8)
	for {
		if _, err := io.ReadFull(in, header); err != nil {
			break // stdin closed: the node stopped or died
		}
		id := binary.BigEndian.Uint32(header)
		size := binary.BigEndian.Uint32(header[4:])
		if size > maxJobBytes {
			fmt.Fprintf(os.Stderr, "cairn-ed25519: a job of %d bytes is over the %d-byte limit\n", size, maxJobBytes)
			os.Exit(2)
		}
		job := make([]byte, size)
		if _, err := io.ReadFull(in, job); err != nil {
			break
		}
		slots <- struct{}{}
		running.Add(1)
		go func() {
			defer running.Done()
			answer, ok := verify(job)
			<-slots
			frame := make([]byte, 8, 8+len(answer))
			binary.BigEndian.PutUint32(frame, id)
			if ok {
				binary.BigEndian.PutUint32(frame[4:], uint32(len(answer)))
				frame = append(frame, answer...)
			} else {
				binary.BigEndian.PutUint32(frame[4:], malformed)
			}
			outMu.Lock()
			defer outMu.Unlock()
			out.Write(frame)
			out.Flush()
		}()
	}
	running.Wait()
}
