// A client-go Node informer with the transform our server applies (src/kube/node-projection.ts), for the
// benchmark's scale mode: the memory a Go implementation needs per Node. It lists and watches every Node, waits
// for the sync, collects garbage, and prints one JSON line: the Nodes held, the time to sync, the live heap and
// the process's RSS.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
)

const ourAnnotationPrefix = "infraops.michael.io/"

// project keeps what the server reads of a Node, as projectNode does.
func project(obj interface{}) (interface{}, error) {
	node, ok := obj.(*corev1.Node)
	if !ok {
		return obj, nil
	}
	kept := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name:              node.Name,
			UID:               node.UID,
			ResourceVersion:   node.ResourceVersion,
			CreationTimestamp: node.CreationTimestamp,
			Labels:            node.Labels,
		},
		Spec: corev1.NodeSpec{ProviderID: node.Spec.ProviderID},
	}
	for k, v := range node.Annotations {
		if strings.HasPrefix(k, ourAnnotationPrefix) {
			if kept.Annotations == nil {
				kept.Annotations = map[string]string{}
			}
			kept.Annotations[k] = v
		}
	}
	for _, c := range node.Status.Conditions {
		if c.Type == corev1.NodeReady {
			kept.Status.Conditions = []corev1.NodeCondition{{Type: c.Type, Status: c.Status, LastTransitionTime: c.LastTransitionTime}}
		}
	}
	kept.Status.NodeInfo.BootID = node.Status.NodeInfo.BootID
	for _, a := range node.Status.Addresses {
		kept.Status.Addresses = append(kept.Status.Addresses, corev1.NodeAddress{Type: a.Type, Address: a.Address})
	}
	return kept, nil
}

func rssKiB() int64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	m := regexp.MustCompile(`(?m)^VmRSS:\s+(\d+) kB$`).FindSubmatch(status)
	if m == nil {
		return -1
	}
	n, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return n
}

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the cluster whose Nodes to hold")
	settle := flag.Duration("settle", 2*time.Second, "wait after the sync before measuring")
	flag.Parse()
	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	config.QPS, config.Burst = 100, 200
	client := kubernetes.NewForConfigOrDie(config)
	started := time.Now()
	factory := informers.NewSharedInformerFactoryWithOptions(client, 0, informers.WithTransform(project))
	nodes := factory.Core().V1().Nodes().Informer()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	factory.Start(ctx.Done())
	if !cache.WaitForCacheSync(ctx.Done(), nodes.HasSynced) {
		fmt.Fprintln(os.Stderr, "informer did not sync")
		os.Exit(1)
	}
	syncedMs := time.Since(started).Milliseconds()
	time.Sleep(*settle)
	runtime.GC()
	debug.FreeOSMemory()
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)
	out, _ := json.Marshal(map[string]int64{
		"nodes":     int64(len(nodes.GetStore().ListKeys())),
		"syncedMs":  syncedMs,
		"heapAlloc": int64(mem.HeapAlloc),
		"rssKiB":    rssKiB(),
	})
	fmt.Println(string(out))
}
