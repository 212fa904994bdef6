// Command conformance uses our API the way any client-go program would — discovery, the RESTMapper, the dynamic
// client's list, get and watch, a dynamic informer, a dynamic Create on a subresource, a Table request — and prints
// one JSON line per check: {"check": …, "ok": …, "detail": …}. It exits 0 when it could run them all; the test that
// runs it (test/e2e/client-go.test.ts) judges each line.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/dynamic/dynamicinformer"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
)

type result struct {
	Check  string `json:"check"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

func report(check string, err error, detail string) {
	r := result{Check: check, OK: err == nil, Detail: detail}
	if err != nil {
		r.Detail = err.Error()
	}
	line, _ := json.Marshal(r)
	fmt.Println(string(line))
}

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the cluster")
	group := flag.String("group", "infraops.michael.io", "our API group")
	node := flag.String("node", "", "a Node our resource serves")
	selector := flag.String("selector", "", "a label selector matching that Node")
	flag.Parse()

	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	gv := schema.GroupVersion{Group: *group, Version: "v1"}
	nodes := gv.WithResource("nodes")
	batches := gv.WithResource("restartbatches")

	dc := discovery.NewDiscoveryClientForConfigOrDie(config)
	report("discovery", checkDiscovery(dc, gv), "")

	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))
	mapping, err := mapper.RESTMapping(schema.GroupKind{Group: *group, Kind: "Node"}, "v1")
	if err == nil && mapping.Resource != nodes {
		err = fmt.Errorf("Node maps to %v", mapping.Resource)
	}
	report("restmapper", err, "")
	kind, err := mapper.KindFor(batches)
	report("restmapper-kind", err, kind.Kind)

	dyn := dynamic.NewForConfigOrDie(config)
	list, err := dyn.Resource(nodes).List(ctx, metav1.ListOptions{LabelSelector: *selector})
	detail := ""
	if err == nil {
		detail = fmt.Sprintf("%d items, resourceVersion %s", len(list.Items), list.GetResourceVersion())
	}
	report("dynamic-list", err, detail)
	got, err := dyn.Resource(nodes).Get(ctx, *node, metav1.GetOptions{})
	if err == nil {
		detail = got.GetKind() + " " + got.GetName()
	}
	report("dynamic-get", err, detail)
	if list != nil {
		report("dynamic-watch", checkWatch(ctx, dyn, nodes, *node, list.GetResourceVersion(), *selector), "")
	}
	report("dynamic-informer", checkInformer(ctx, dyn, nodes, *node), "")
	report("dynamic-informer-batches", checkInformer(ctx, dyn, batches, ""), "")

	restart := &unstructured.Unstructured{Object: map[string]interface{}{
		"apiVersion": gv.String(),
		"kind":       "NodeRestart",
		"metadata":   map[string]interface{}{"name": *node},
		"reason":     "client-go conformance (dry run)",
	}}
	created, err := dyn.Resource(nodes).Create(ctx, restart, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}}, "restart")
	if err == nil {
		detail = created.GetKind()
	}
	report("dynamic-create-restart-dryrun", err, detail)

	raw, err := dc.RESTClient().Get().AbsPath("/apis", *group, "v1", "restartbatches").
		SetHeader("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io").DoRaw(ctx)
	var table metav1.Table
	if err == nil {
		err = json.Unmarshal(raw, &table)
	}
	names := []string{}
	for _, c := range table.ColumnDefinitions {
		names = append(names, c.Name)
	}
	report("table", err, fmt.Sprint(table.Kind, " ", names))
}

func checkDiscovery(dc discovery.DiscoveryInterface, gv schema.GroupVersion) error {
	resources, err := dc.ServerResourcesForGroupVersion(gv.String())
	if err != nil {
		return err
	}
	want := map[string]bool{"nodes": false, "restartbatches": false}
	for _, r := range resources.APIResources {
		if _, ok := want[r.Name]; ok {
			for _, v := range r.Verbs {
				if v == "watch" {
					want[r.Name] = true
				}
			}
		}
	}
	for name, watched := range want {
		if !watched {
			return fmt.Errorf("%s is not listed with the watch verb", name)
		}
	}
	return nil
}

// checkWatch watches from the list's resourceVersion and changes the core Node, expecting our view's MODIFIED.
func checkWatch(ctx context.Context, dyn dynamic.Interface, gvr schema.GroupVersionResource, node, rv, selector string) error {
	w, err := dyn.Resource(gvr).Watch(ctx, metav1.ListOptions{ResourceVersion: rv, LabelSelector: selector})
	if err != nil {
		return err
	}
	defer w.Stop()
	core := schema.GroupVersionResource{Version: "v1", Resource: "nodes"}
	patch := fmt.Sprintf(`{"metadata":{"annotations":{"client-go-conformance":"%d"}}}`, time.Now().UnixNano())
	if _, err := dyn.Resource(core).Patch(ctx, node, types.MergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
		return err
	}
	timeout := time.After(20 * time.Second)
	for {
		select {
		case e, ok := <-w.ResultChan():
			if !ok {
				return fmt.Errorf("the watch ended before the change")
			}
			if e.Type == watch.Error {
				return fmt.Errorf("watch error: %v", e.Object)
			}
			if u, ok := e.Object.(*unstructured.Unstructured); ok && e.Type == watch.Modified && u.GetName() == node {
				return nil
			}
		case <-timeout:
			return fmt.Errorf("no MODIFIED event for %s within 20s", node)
		}
	}
}

// checkInformer starts a dynamic informer on the resource and waits for it to sync (and hold `name`, if given).
func checkInformer(ctx context.Context, dyn dynamic.Interface, gvr schema.GroupVersionResource, name string) error {
	factory := dynamicinformer.NewDynamicSharedInformerFactory(dyn, 0)
	informer := factory.ForResource(gvr).Informer()
	stop := make(chan struct{})
	defer close(stop)
	factory.Start(stop)
	syncCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if !cache.WaitForCacheSync(syncCtx.Done(), informer.HasSynced) {
		return fmt.Errorf("the informer on %s did not sync", gvr.Resource)
	}
	if name == "" {
		return nil
	}
	if _, exists, err := informer.GetStore().GetByKey(name); err != nil || !exists {
		return fmt.Errorf("the informer on %s does not hold %s (%v)", gvr.Resource, name, err)
	}
	return nil
}
